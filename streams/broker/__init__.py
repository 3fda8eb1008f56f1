"""Broker plumbing: the embedded Tansu broker and topic administration (kafka-python)."""
