"""The demo: a car dealership's workshop played through the real engine (``play``), what
its people answer (``script``), and sample maps of any size for the benchmark and tests
(``sample``)."""
