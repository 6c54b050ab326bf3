"""Test and benchmark helpers for the sync engine: the link-shaping fault proxy, a real
central server on 127.0.0.1 in a thread, and an in-memory keyring. Never used by the
console itself."""
