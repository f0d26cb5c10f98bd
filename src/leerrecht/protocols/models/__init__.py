from leerrecht.protocols.models.versions import ProtocolVersion

__all__ = ["ProtocolVersion"]
