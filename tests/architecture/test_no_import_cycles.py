"""No module in src/ imports another that imports it back (directly or around a loop)."""

from __future__ import annotations

from tests.architecture.imports import import_cycles, import_graph


def test_the_import_graph_sees_known_edges():
    graph = import_graph()
    # Guards against a walker that silently finds nothing.
    assert "leerrecht.cases.services.cases" in graph["leerrecht.cases.services"]
    assert "leerrecht.cases.selectors" in graph["leerrecht.cases.services.cases"]
    assert "leerrecht.privacy.query" in graph["leerrecht.cases.query"]


def test_no_module_in_src_imports_itself_back():
    cycles = import_cycles(import_graph())
    assert cycles == [], f"import cycles in src/: {cycles}"


def test_a_cycle_is_found_when_there_is_one():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_cycles(graph) == [["a", "b", "c"]]
