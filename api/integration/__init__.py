"""What other systems follow (issue 19): client applications of an institution and their tokens,
webhook subscriptions, their outbox and the worker that delivers them.

Apart from the HTTP and command-line rooms (which call it): configuration kept in tables beside the
store (every table created by a migration), and the delivery worker's network calls.
"""
