/* sgconsole: panel */
'use strict';
