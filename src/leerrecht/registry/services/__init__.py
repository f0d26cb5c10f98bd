"""Write-side services of the registry (one module per area, e.g. `demo`)."""
