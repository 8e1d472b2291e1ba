"""The Telegram adapter: ``app`` wires settings into a python-telegram-bot Application;
``handlers`` translate updates into use cases; ``delivery`` is the one place that sends;
``effects`` carries out what an outcome requests after the answer; ``reminders`` arms the
review alarms; ``review_cards`` draws an owner's card; ``callback_data`` packs buttons."""
