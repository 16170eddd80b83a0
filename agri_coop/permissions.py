"""Town / village scoping: kept importable from here; the boundary itself lives in
agri_coop.security.boundary (one table of DocType -> path to its co-op)."""

from agri_coop.security.boundary import (
	BOUNDARY,
	allowed_cooperatives,
	has_scope_permission,
	is_in_scope,
	query_conditions,
)
