"""What analysts and other systems get beside the warehouse: the HTML report and the Fiscal Data Package."""
