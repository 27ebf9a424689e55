"""Webhooks (issue 19): a client application's subscriptions, their outbox, the worker.

Deliveries are **derived from the log by a tracked step**, not written in the command's
transaction: per subscription a cursor (a feed position); one step reads the feed's page after it
(`projections.feed.feed_page`: the events the client's institution may know, of the kinds both
the subscription and the client follow), inserts one outbox row per event — never two for the
same (subscription, position) — and advances the cursor in the same transaction (`outbox`). The
worker (`worker`) claims due rows under a lease, signs them per Standard Webhooks with a secret
derived, not stored (`signing`), checks the target against server-side request forgery
(`targets`), sends it over connections made to the very addresses checked, within a deadline
(`transport`, `deadline`), and settles: delivered, retried with backoff, or dead. See
docs/webhooks.md.
"""
