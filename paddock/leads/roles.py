"""What each role may do with leads: Editors send unrouted leads again once a dealer is added.
The shoppers' details stay with administrators and dealers (no leads.view_lead)."""

from __future__ import annotations

from paddock.core.roles import EDITORS, grant

grant(EDITORS, "leads.route_lead")
