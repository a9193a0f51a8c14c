{{ yoy('int_resources_labelled', ['entity_code', 'funding_source', 'breakdown', 'scope_code', 'line_item_code']) }}
