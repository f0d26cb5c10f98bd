"""Synthetic demo region (RMC Haaglanden): a pure-Python generator, no Django imports."""

from leerrecht.demo.generate import (
    DEFAULT_REFERENCE_DATE,
    DemoError,
    DemoManifest,
    demo_generate,
)

__all__ = ["DEFAULT_REFERENCE_DATE", "DemoError", "DemoManifest", "demo_generate"]
