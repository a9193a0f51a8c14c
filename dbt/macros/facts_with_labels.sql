{# Facts of one family joined to their labels and edition ordering; used by the fct_* models. #}
{% macro facts_with_labels(stg_model) %}
select
    f.*,
    coalesce(l_ent.label_zh, l_gen.label_zh, f.row_label) as line_item_label_zh,
    coalesce(l_ent.label_en, l_gen.label_en) as line_item_label_en,
    d.session_number,
    p.precedence as phase_precedence
from {{ ref(stg_model) }} as f
left join {{ ref('int_documents') }} as d using (document_id)
left join {{ ref('phases') }} as p on p.phase_code = f.phase
left join {{ ref('int_line_item_labels') }} as l_ent
    on l_ent.breakdown = f.breakdown and l_ent.code = f.line_item_code and l_ent.entity_code = f.entity_code
left join {{ ref('int_line_item_labels') }} as l_gen
    on l_gen.breakdown = f.breakdown and l_gen.code = f.line_item_code and l_gen.entity_code is null
{% endmacro %}
