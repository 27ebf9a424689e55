"""The HTTP room: the FastAPI app, its ASGI layer, routers, schemas, problems and auth."""
