"""The HQ (ستاد) sync server: FastAPI on PostgreSQL, sharing models and sync schemas with the desktop app.

Never imports Qt or ``clinic_app.ui``; the desktop installer does not ship this package.
"""
