"""The generic conversation engine: flows as data (``spec``), the engine that moves a
person's stored position one answer at a time (``engine``, ``runner``), turning an answer
into a value (``answers``, ``validation``), and what goes in and comes out (``outcome``).
It knows nothing of Customer Journey Maps: it receives the flow catalog it runs."""
