"""Pure workshop logic and the facilitator's use cases: reading a whole map
(``queries``), analytics over it (``insights``: emotions, KPI status, staleness,
disagreements, gaps), status, likely duplicates, versions and "what changed", and the
access-checked facilitator tools (``facilitator``: publish, close, invites, merge)."""
