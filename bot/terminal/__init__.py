"""The terminal adapter: the same flows and use cases in a terminal (``console``), with
the facilitator's and owner's commands (``commands``). Never imports ``telegram``."""
