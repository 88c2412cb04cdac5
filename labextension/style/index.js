import './base.css';
import './flows.css';
