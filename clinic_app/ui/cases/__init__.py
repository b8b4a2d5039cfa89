"""The case list and the case workspace (one case in tabs)."""
