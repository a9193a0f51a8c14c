{{ yoy('int_posts_labelled', 'fct_posts', ['entity_code', 'funding_source', 'breakdown', 'scope_code', 'line_item_code']) }}
