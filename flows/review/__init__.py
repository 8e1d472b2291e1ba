"""The living map after the workshop: when a review is due (``schedule``), the review
cycle of each owned touchpoint (``cycle``), the owner's card actions (``card``, and
``pain`` for "Add pain point" as a flow on the engine), review rounds ending in map
versions (``rounds``) and the facilitators' weekly digest (``digest``)."""
