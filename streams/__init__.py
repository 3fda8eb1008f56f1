"""Stancewire: wire news → statements → stances → stance changes → alerts, on Kafka with Faust."""
