"""The consultations agenda (the week's consulting sessions)."""
