"""The API's routers, one per area of the domain."""
