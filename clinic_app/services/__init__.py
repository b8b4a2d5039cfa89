"""Use cases: validate, change, query, report, import, sync. No Qt here; plain values in and out."""
