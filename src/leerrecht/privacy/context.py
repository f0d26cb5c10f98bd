from contextvars import ContextVar

# The trace id of the request or job being handled; "" outside one.
current_trace_id: ContextVar[str] = ContextVar("current_trace_id", default="")
