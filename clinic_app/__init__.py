"""Case management for Iran's business clinics: the desktop program (see README.md)."""

__version__ = "0.1.0"
