"""The desk's pages: the staff workspace (``queue``, ``ticket``, ``intake``, sharing
``common`` and ``history``) and the requester portal (``portal``)."""
