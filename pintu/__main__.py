"""`python -m pintu ...` is the same as the `pintu` console script."""

from pintu.cli import main

main()
