"""Demo data for local runs (`pintu seed demo`, refused in production). This face hands
on what callers use."""

from pintu.site.demo.people import DEMO_PASSWORD, DemoPerson
from pintu.site.demo.seed import seed_demo

__all__ = ["DEMO_PASSWORD", "DemoPerson", "seed_demo"]
