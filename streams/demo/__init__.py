"""The bundled demo: a small wire corpus and `stancewire demo`."""
