"""The configs domain."""
