"""Pintu: one service door for the units of a polytechnic."""

__version__ = "0.1.0"
