"""Stancewire stream processing."""
