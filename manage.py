#!/usr/bin/env python3
"""Django's manage.py: the same commands as the `pintu` console script."""
from pintu.cli import main

if __name__ == "__main__":
    main()
