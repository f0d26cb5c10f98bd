"""Pure computations behind the figures (no Django imports): definitions, KPIs, % change,
flow counts, breakdowns, suppression and SVG charts. Views and the CLI feed them with facts
read from the database (leerrecht.monitoring.selectors)."""
