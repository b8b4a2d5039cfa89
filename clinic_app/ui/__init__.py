"""The PySide6 desktop interface: windows, dialogs, Qt models over services, workers.

Only this package imports Qt. It calls services and shows what they return; no SQL and no business rules
live here (import-linter keeps models, services and core free of Qt and of this package).
"""
