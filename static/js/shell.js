/* sgconsole: shell */
'use strict';
