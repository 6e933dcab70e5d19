"""Demo data for local runs (`pintu seed demo`, refused in production): people of every
role, a year of requests across the five units filed through the desk's services, and a
few requests that arrive while the demo runs. This face hands on what callers use."""

from pintu.site.demo.people import DEMO_PASSWORD, DemoPerson
from pintu.site.demo.seed import DemoResult, seed_demo

__all__ = ["DEMO_PASSWORD", "DemoPerson", "DemoResult", "seed_demo"]
