"""Domain errors: a stable code for code, a Persian message for people.

Services raise these; the edges (dialogs, CLI, HTTP) turn them into messages or exit codes.
Faults of the environment (a corrupt or locked database, a full disk) are ``StoreError``; everything
else here is the user's input or a rule of the domain.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field (or one row of an import)."""

    field: str
    code: str
    message: str  # Persian, shown beside the field

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ClinicError(Exception):
    """Base of every error the application raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class ValidationFailed(ClinicError):
    """One or more fields are invalid; nothing was changed."""

    code = "validation"

    def __init__(self, errors: list[FieldError] | FieldError) -> None:
        if isinstance(errors, FieldError):
            errors = [errors]
        self.errors: list[FieldError] = list(errors)
        super().__init__("؛ ".join(str(e) for e in self.errors) or "ورودی نامعتبر است")

    def for_field(self, field: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == field), None)


class NotFound(ClinicError):
    code = "not_found"


class WorkflowError(ClinicError):
    """A status change the workflow does not allow."""

    code = "workflow"


class DuplicateFound(ClinicError):
    """A record like this one exists already; ``candidates`` holds their ids."""

    code = "duplicate"

    def __init__(self, message: str, candidates: list[str]) -> None:
        super().__init__(message)
        self.candidates = candidates


class PermissionDenied(ClinicError):
    code = "permission"


class StoreError(ClinicError):
    """The database or the disk failed (corrupt, locked, full); the message says what to do."""

    code = "store"
