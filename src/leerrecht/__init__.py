"""Leerrecht: the shared system for the broad approach to thuiszitters."""

__version__ = "0.1.0"
