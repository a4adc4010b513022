"""Generator of the local-government DX case catalogue.

Stages, one module each: load (files → YAML trees) → check (diagnostics and
checked values) → model (the Case collection) → outputs.
"""

__version__ = "0.1.0"
