"""Errors the command line reports as one line (no traceback unless --debug)."""

from __future__ import annotations


class KGError(Exception):
    """Base class of every error meant for the user."""


class InputError(KGError):
    """A path or document that cannot be read as a report."""


class OutputError(KGError):
    """An output that cannot be written."""


class QueryError(KGError):
    """A malformed SPARQL query or an unreadable graph."""
