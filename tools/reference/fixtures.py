"""Helpers shared by the golden fixture scripts: float32-representable inputs and the fixture file itself."""
import json
import os


def float32_values(t):
    """Rounded to float32 (and back to float64) so the C# side starts from the same numbers."""
    return t.float().double()


def write(path, fixture):
    """Writes the fixture as indented JSON, creating its folder."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(fixture, f, indent=1)
    print(f"wrote {path}")
