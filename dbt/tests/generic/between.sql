{# Values in a plausible range (nulls allowed; not_null says otherwise). #}
{% test between(model, column_name, min_value, max_value) %}
select * from {{ model }} where {{ column_name }} < {{ min_value }} or {{ column_name }} > {{ max_value }}
{% endtest %}
