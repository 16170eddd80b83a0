"""Town / village scoping, formerly here: import from agri_coop.security.boundary (one table of
DocType -> path to its co-op). Kept until its last importers move; not wired in hooks.py."""

from agri_coop.security.boundary import allowed_cooperatives, is_in_scope

__all__ = ["allowed_cooperatives", "is_in_scope"]
