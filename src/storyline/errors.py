"""One exception tree for Storyline, with stable codes.

    StorylineError                 [S000] base; the CLI prints it and exits non-zero
     ├── InputError                [S1xx] a bad input: names the input and the problem
     │    ├── EmptyInput           [S101]
     │    ├── BinaryInput          [S102]
     │    ├── TooLarge             [S103]
     │    ├── EncodingError        [S104]
     │    ├── MalformedInput       [S105] HTML, feed, JSON that cannot be parsed
     │    ├── UnsupportedInput     [S106]
     │    └── FetchError           [S107] a URL that could not be fetched or is refused
     ├── StoreError                [S2xx] the database
     │    ├── SchemaError          [S201]
     │    ├── NotFound             [S202]
     │    └── StoreBusy            [S203] another writer held the store too long
     ├── ModelError                [S301] the spaCy model is missing
     ├── KeyFormatError            [S401] a gold key that does not follow the format
     └── AccessDenied              [S501] a write to the API without the right token
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error Storyline raises on purpose."""

    code = "S000"

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        self.message = message
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = f"{self.source}: " if self.source else ""
        return f"[{self.code}] {where}{self.message}"

    def as_dict(self) -> dict[str, str | None]:
        """The one JSON error shape used by the API and `--json` outputs."""
        return {"code": self.code, "type": type(self).__name__, "message": self.message,
                "source": self.source}


class InputError(StorylineError):
    code = "S100"


class EmptyInput(InputError):
    code = "S101"


class BinaryInput(InputError):
    code = "S102"


class TooLarge(InputError):
    code = "S103"


class EncodingError(InputError):
    code = "S104"


class MalformedInput(InputError):
    code = "S105"


class UnsupportedInput(InputError):
    code = "S106"


class FetchError(InputError):
    code = "S107"


class StoreError(StorylineError):
    code = "S200"


class SchemaError(StoreError):
    code = "S201"


class NotFound(StoreError):
    code = "S202"


class StoreBusy(StoreError):
    code = "S203"


class ModelError(StorylineError):
    code = "S301"


class KeyFormatError(StorylineError):
    code = "S401"


class AccessDenied(StorylineError):
    code = "S501"


__all__ = [
    "StorylineError", "InputError", "EmptyInput", "BinaryInput", "TooLarge", "EncodingError",
    "MalformedInput", "UnsupportedInput", "FetchError", "StoreError", "SchemaError", "NotFound",
    "StoreBusy",
    "ModelError", "KeyFormatError", "AccessDenied",
]
