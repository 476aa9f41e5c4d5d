"""The progress engine: the method's formulas, the assessment per indicator, roll-up, words."""
