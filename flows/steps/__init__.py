"""The workshop's conversation, one module per section (setup, join, home, persona,
stages, emotions, touchpoints, owners, kpis, pains, ideas), the order of sections, and
the catalog of every flow the engine runs (``catalog``). Adding a question is adding a
``Step`` here."""
