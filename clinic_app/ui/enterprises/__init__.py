"""The enterprise registry: the lazy table, the page with search and filters, the detail form."""
