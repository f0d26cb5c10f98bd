"""The `leerrecht` command line (Typer + Rich)."""
