{# Every non-null code has its English label (the Chinese label comes from the same seed row). The model (a labelled
   view) is read once, for the rows that miss a label, then each pair is reported: one scan per pair labelled every
   row again (issue 12). #}
{% test labels_present(model, pairs) %}
with missing as materialized (
    select {% for code, label in pairs %}{{ code }}, {{ label }}{{ ', ' if not loop.last }}{% endfor %}
    from {{ model }}
    where {% for code, label in pairs %}({{ code }} is not null and {{ label }} is null){{ ' or ' if not loop.last }}{% endfor %}
)
{% for code, label in pairs %}
{% if not loop.first %}union all{% endif %}
select '{{ code }}' as code_column, {{ code }}::varchar as code from missing
where {{ code }} is not null and {{ label }} is null
{% endfor %}
{% endtest %}
