{{ yoy('int_resources_labelled', 'fct_resources', ['entity_code', 'funding_source', 'breakdown', 'scope_code', 'line_item_code']) }}
